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
                "post": ["summary": "Answer the survey (once): 1 to 5 and an optional comment, with the spam check",
                         "description": "Stored with the ticket, the agent who resolved it and the time; audited (survey.rated) and logged as survey.rated. Public: no session; rate-limited.",
                         "security": [], "parameters": [surveyToken], "x-problem-fields": ["captcha"],
                         "requestBody": ["required": true, "content": jsonBody("SurveyAnswer")],
                         "responses": ["200": page,
                                       "202": jsonResponse("The honeypot was filled: nothing was stored.", schema: objectType(["received": ["type": "boolean"]])),
                                       "400": problem("The body is not JSON."), "415": problem("The body is not application/json."),
                                       "413": problem("The body is larger than 16 KiB."),
                                       "409": problem("Already answered, expired or cancelled (the ticket was reopened)."),
                                       "422": problem("rating outside 1 to 5, comment too long, or `captcha` missing, used, expired or wrong.")]
                            .merging(errors) { a, _ in a }],
            ],
            "/api/survey-settings": [
                "get": ticketOperation("The survey settings", "any signed-in agent (no particular permission)",
                                       ["200": jsonResponse("The settings.", schema: ref("SurveySettings"))]),
                "put": ticketOperation("Replace the survey settings: on/off, expiry in days, the question. New surveys only: open ones keep theirs. Audited; logged as survey_settings.updated.",
                                       "account.manage", body: jsonBody("SurveySettings"),
                                       ["200": jsonResponse("The saved settings.", schema: ref("SurveySettings")),
                                        "400": problem("The body is not JSON."), "415": problem("The body is not application/json."),
                                        "422": problem("expiryDays outside \(SurveySettings.expiryDaysRange.lowerBound) to \(SurveySettings.expiryDaysRange.upperBound), or an empty or too long question; `field` names it.")]),
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
                    queryParameter("limit", "1 to \(SurveyService.maxRatingsPage), default 100.", ["type": "integer", "minimum": 1, "maximum": SurveyService.maxRatingsPage]),
                ], ["200": jsonResponse("A page of answered surveys.", schema: ref("SurveyList")), "422": invalidField]),
            ],
        ]
    }

    private static var surveySchemas: [String: Any] {
        let status = enumeration(["pending", "answered", "expired", "cancelled"])
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
                "maxCommentCharacters": integerType, "account": objectType(["name": stringType, "logoUrl": nullable("string")]),
            ]),
            "Survey": objectType([
                "id": integerType, "ticketId": integerType, "status": status,
                "resolvedBy": ["oneOf": [ref("AgentRef"), ["type": "null"]], "description": "The agent who resolved the ticket."],
                "createdAt": dateTimeType, "expiresAt": dateTimeType, "rating": ["type": ["integer", "null"], "minimum": 1, "maximum": 5],
                "comment": nullable("string"), "answeredAt": nullable("string", format: "date-time"),
            ]),
            "SurveySettings": objectType([
                "enabled": ["type": "boolean", "description": "False: resolutions get no survey."],
                "expiryDays": ["type": "integer", "minimum": SurveySettings.expiryDaysRange.lowerBound, "maximum": SurveySettings.expiryDaysRange.upperBound],
                "question": ["type": "string", "maxLength": SurveySettings.maxQuestionCharacters],
            ]),
            "SurveyList": objectType(["surveys": ["type": "array", "items": ref("Survey")], "next": ["type": ["integer", "null"]]]),
        ]
    }
}
