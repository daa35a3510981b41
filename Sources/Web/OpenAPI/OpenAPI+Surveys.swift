import Tickets

/// CSAT surveys: the public survey page's routes and the agents' and reports' reads.
extension OpenAPIDocument {
    static var surveys: Part {
        Part(paths: surveyPaths, schemas: surveySchemas)
    }

    private static var surveyToken: [String: Any] {
        ["name": "Survey-Token", "in": "header", "required": true,
         "description": "The survey's token (the part of the survey URL after `#`).", "schema": ["type": "string", "maxLength": 128]]
    }

    private static var surveyPaths: [String: Any] {
        let errors: [String: Any] = [
            "404": problem("The token opens no survey (unknown, malformed, or its ticket deleted): every such token gets this same answer."),
            "429": problem("Too many requests from this address or with this token (as the portal's limits)."),
        ]
        let page = jsonResponse("The survey.", schema: ref("SurveyPage"))
        return [
            "/api/surveys/current": [
                "get": ["summary": "The survey the token opens: what it asks, its state and expiry, the answer once given",
                        "description": "Public: no session; rate-limited.", "security": [], "parameters": [surveyToken],
                        "responses": ["200": page].merging(errors) { a, _ in a }],
                "post": ["summary": "Answer the survey, or change the answer until it expires: 1 to 5 and an optional comment, with the spam check",
                         "description": "One answer per survey, stored with the ticket, the agent who resolved it and the time. The first answer is audited (survey.rated) and logged as survey.rated; each change is audited (survey.answer_changed, before and after) and logged as survey.answer_changed; the same answer again changes nothing. Public: no session; rate-limited.",
                         "security": [], "parameters": [surveyToken],
                         "requestBody": ["required": true, "content": jsonBody("SurveyAnswer")],
                         "responses": ["200": page,
                                       "202": jsonResponse("The honeypot was filled: nothing was stored.", schema: objectType(["received": ["type": "boolean"]])),
                                       "400": problem("The body is not JSON."), "415": problem("The body is not application/json."),
                                       "413": problem("The body is larger than 16 KiB."),
                                       "409": problem("Expired, or cancelled (the ticket was reopened before an answer)."),
                                       "422": problem("rating outside 1 to 5, comment too long, or `captcha` missing, used, expired or wrong.")]
                            .merging(errors) { a, _ in a }],
            ],
            "/api/survey-settings": [
                "get": ticketOperation("The survey settings", "any signed-in agent (no particular permission)",
                                       ["200": jsonResponse("The settings.", schema: ref("SurveySettings"))]),
                "put": ticketOperation("Replace the survey settings: on/off, the delay before the survey email (minutes; omitted: unchanged), expiry in days, the question. New surveys only: open ones keep theirs. Audited; logged as survey_settings.updated.",
                                       "account.manage", body: jsonBody("SurveySettingsInput"),
                                       ["200": jsonResponse("The saved settings.", schema: ref("SurveySettings")),
                                        "400": problem("The body is not JSON."), "415": problem("The body is not application/json."),
                                        "422": problem("expiryDays outside \(SurveySettings.expiryDaysRange.lowerBound) to \(SurveySettings.expiryDaysRange.upperBound), delayMinutes outside \(SurveySettings.delayMinutesRange.lowerBound) to \(SurveySettings.delayMinutesRange.upperBound), or an empty or too long question; `field` names it.")]),
            ],
            "/api/tickets/{id}/surveys": [
                "get": ticketOperation("The ticket's surveys, oldest first (the latest is the current resolution's)", "ticket.view",
                                       parameters: [pathParameter("id")],
                                       ["200": jsonResponse("The surveys.", schema: ref("SurveyList")), "404": ticketNotFound]),
            ],
            "/api/surveys": [
                "get": ticketOperation("Answered surveys for reports, oldest answer first", "reports.view", parameters: [
                    queryParameter("from", "Answered at or after (ISO 8601).", ["type": "string", "format": "date-time"]),
                    queryParameter("to", "Answered before (ISO 8601).", ["type": "string", "format": "date-time"]),
                    queryParameter("agentId", "Only tickets resolved by this agent.", ["type": "integer", "minimum": 1]),
                    queryParameter("after", "The `next` of the previous page.", ["type": "integer", "minimum": 1]),
                    queryParameter("limit", "1 to \(SurveyService.maxRatingsPage), default 100.", integerType),
                ], ["200": jsonResponse("A page of answered surveys.", schema: ref("SurveyList")), "422": invalidField]),
            ],
        ]
    }

    private static var surveySchemas: [String: Any] {
        let status = enumeration(["pending", "answered", "expired", "cancelled"])
        let settings: [String: Any] = [
            "enabled": ["type": "boolean", "description": "False: resolutions get no survey."],
            "delayMinutes": ["type": "integer", "minimum": SurveySettings.delayMinutesRange.lowerBound,
                             "maximum": SurveySettings.delayMinutesRange.upperBound,
                             "description": "Minutes between the resolution and the survey email (sent through the resolved ticket's mailbox, Auto-Submitted: auto-generated, only while the survey is pending and the loop rules allow)."],
            "expiryDays": ["type": "integer", "minimum": SurveySettings.expiryDaysRange.lowerBound, "maximum": SurveySettings.expiryDaysRange.upperBound],
            "question": ["type": "string", "maxLength": SurveySettings.maxQuestionCharacters],
        ]
        return [
            "SurveyAnswer": [
                "type": "object", "required": ["rating", "captchaChallenge", "captchaNonce"],
                "properties": [
                    "rating": ["type": "integer", "minimum": 1, "maximum": 5],
                    "comment": ["type": ["string", "null"], "maxLength": SurveyService.maxCommentCharacters],
                    "website": ["type": "string", "description": "The honeypot: leave it empty."],
                    "captchaChallenge": stringType, "captchaNonce": ["type": "string", "maxLength": 20],
                ],
            ],
            "SurveyPage": objectType([
                "reference": stringType, "subject": stringType, "question": stringType, "status": status,
                "expiresAt": dateTimeType, "rating": ["type": ["integer", "null"]], "comment": nullable("string"),
                "changeable": ["type": "boolean", "description": "True while an answer may be given or changed (pending or answered, before expiresAt)."],
                "maxCommentCharacters": integerType, "account": objectType(["name": stringType, "logoUrl": nullable("string")]),
            ]),
            "Survey": objectType([
                "id": integerType, "ticketId": integerType, "status": status,
                "resolvedBy": ["oneOf": [ref("AgentRef"), ["type": "null"]], "description": "The agent who resolved the ticket."],
                "createdAt": dateTimeType, "expiresAt": dateTimeType, "rating": ["type": ["integer", "null"], "minimum": 1, "maximum": 5],
                "comment": nullable("string"), "answeredAt": nullable("string", format: "date-time"),
            ]),
            "SurveySettings": objectType(settings),
            "SurveySettingsInput": objectType(settings, required: ["enabled", "expiryDays", "question"]),
            "SurveyList": objectType(["surveys": ["type": "array", "items": ref("Survey")], "next": ["type": ["integer", "null"]]]),
        ]
    }
}
