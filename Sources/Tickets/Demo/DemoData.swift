/// The word lists the demo seeder draws from.
enum DemoData {
    struct Topic {
        let subject: String
        let description: String
        let category: TicketCategory
        /// The agent's public lines: the first answer, then the fix.
        let agent: [String]
        /// The customer's lines: the answer to the first reply, then the confirmation.
        let customer: [String]
        /// An internal note about the cause.
        let note: String
    }

    static let agents: [(name: String, email: String)] = [
        ("Alex Morgan", "alex@demo.helpdesk"), ("Sam Rivera", "sam@demo.helpdesk"),
        ("Priya Nair", "priya@demo.helpdesk"), ("Jonas Weber", "jonas@demo.helpdesk"),
        ("Mei Tanaka", "mei@demo.helpdesk"),
    ]
    static let firstNames = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Sofia", "Mateo", "Chloe", "Aarav",
                             "Zoe", "Hugo", "Lena", "Omar", "Ines", "Kenji", "Nora", "Felix", "Maya", "Theo"]
    static let lastNames = ["Smith", "Garcia", "Müller", "Rossi", "Dubois", "Kowalski", "Okafor", "Silva", "Jensen",
                            "Novak", "Haddad", "Kim", "Larsen", "Costa", "Ivanova", "Brown"]
    static let domains = ["acme.test", "globex.test", "initech.test", "umbrella.test", "example.org"]
    static let tags = ["vip", "refund", "outage", "onboarding", "mobile", "api", "invoice", "sso"]
    /// Each topic carries its own conversation, so every line is written by the side that
    /// would write it: `agent` (first answer, then the fix), `customer` (the answer to the
    /// first reply, then the confirmation) and the agents' internal `note`.
    static let topics: [Topic] = [
        Topic(subject: "Cannot log in after password reset", description: "I reset my password but the login page says it is invalid.",
              category: .account,
              agent: ["Sorry about that. Did you use the link from the most recent reset email? Older links stop working.",
                      "I have cleared the lock on your account. Please reset once more and use the newest email."],
              customer: ["I used the latest one, I think. I requested it twice.", "That worked, I am back in. Thank you!"],
              note: "Account was locked after five failed attempts; unlocked it."),
        Topic(subject: "Invoice shows the wrong VAT number", description: "Our March invoice lists an old VAT number. Please correct it.",
              category: .billing,
              agent: ["Thanks for flagging this. Could you send us the correct VAT number?",
                      "I have issued a corrected invoice with the new VAT number; you will find it under Billing."],
              customer: ["Sure, it is DE 811 907 980.", "Got the corrected invoice, thanks for the quick fix."],
              note: "Finance confirmed the new VAT number is valid."),
        Topic(subject: "Charged twice this month", description: "My card was charged twice for the same subscription.",
              category: .billing,
              agent: ["I am sorry for the double charge. Can you tell me the last four digits of the card?",
                      "I refunded the second charge. It can take 3-5 business days to show on your statement."],
              customer: ["It ends in 4421.", "I can see the refund pending now. Thanks!"],
              note: "Duplicate charge from the payment retry on the 3rd; refund issued."),
        Topic(subject: "API returns 500 on export", description: "GET /exports fails with a 500 error since yesterday.",
              category: .bugReport,
              agent: ["Thanks for the report. Which export format and date range are you requesting?",
                      "Our engineers deployed a fix for exports over 10,000 rows. Could you try again?"],
              customer: ["CSV, for the whole of last year.", "Exports work again, thanks."],
              note: "Reproduced: the export times out past 10,000 rows. Escalated to engineering."),
        Topic(subject: "Dashboard loads very slowly", description: "The dashboard takes over 30 seconds to load for our team.",
              category: .technical,
              agent: ["Thanks for letting us know. Is it slow for everyone, or for some users only?",
                      "We added an index for your account's largest report; the dashboard should load in a few seconds now."],
              customer: ["Everyone in the Berlin office, mostly in the morning.", "Much faster now, thank you."],
              note: "Slow query on the activity widget for accounts with 50k+ records."),
        Topic(subject: "Please add dark mode", description: "Our agents work night shifts and would love a dark theme.",
              category: .featureRequest,
              agent: ["Thanks for the suggestion! How many of your agents work at night?",
                      "I have added your vote to the dark mode request; we will tell you when it ships."],
              customer: ["About a third of our team.", "Great, looking forward to it."],
              note: "Added to the product board under 'Themes'."),
        Topic(subject: "How do I add a new user?", description: "Where in the settings can I invite a colleague?",
              category: .general,
              agent: ["Happy to help. Are you an administrator on your account?",
                      "Go to Settings, then Users, and choose New user. Your colleague gets an email to set a password."],
              customer: ["Yes, I am the admin.", "Found it, my colleague is in. Thanks!"],
              note: "Pointed to the users guide; consider a clearer invite button."),
        Topic(subject: "SSO login loops back to the start", description: "After signing in with SSO we are sent back to the login page.",
              category: .technical,
              agent: ["Thanks for reporting this. Which identity provider do you use?",
                      "The redirect URL in your SSO settings had an old domain. I corrected it; please try again."],
              customer: ["We use Okta.", "SSO works again. Thanks for sorting it out."],
              note: "Redirect URI still pointed to the old subdomain."),
        Topic(subject: "Export to CSV misses columns", description: "The exported file has no due date column.",
              category: .bugReport,
              agent: ["Thanks! Are you exporting from the ticket list or from a report?",
                      "The due date column is back in list exports as of today's update."],
              customer: ["From the ticket list, with filters applied.", "Confirmed, the column is there now."],
              note: "Regression from last week's export refactor."),
        Topic(subject: "Change the account owner", description: "Our previous admin left; please transfer ownership.",
              category: .account,
              agent: ["We can do that. Please reply from an address on your company's domain and name the new owner.",
                      "Ownership is transferred to you. You will see the billing settings now."],
              customer: ["Please make me, Dana from IT, the new owner.", "I can see everything now, thanks."],
              note: "Verified the request with the billing contact on file."),
        Topic(subject: "Request for a quote", description: "We want 40 more seats. Can you send a quote?",
              category: .other,
              agent: ["Thanks for your interest! Do you want the seats on your current plan or on the annual plan?",
                      "I have sent the quote for 40 annual seats to your email."],
              customer: ["The annual plan, please.", "Received the quote, we will sign this week."],
              note: "Sales informed; volume discount applies above 25 seats."),
        Topic(subject: "Mobile app crashes on start", description: "The Android app closes right after the splash screen.",
              category: .bugReport,
              agent: ["Sorry about that. Which Android version and app version are you on?",
                      "Version 4.2.1 fixes the crash on start. It is rolling out in the Play Store now."],
              customer: ["Android 14, app version 4.2.0.", "Updated, and the app starts again. Thanks!"],
              note: "Known crash on Android 14 with 4.2.0; fix in 4.2.1."),
    ]
    /// What an agent notes when a ticket is put On Hold.
    static let holdNote = "On hold until engineering ships the fix; customer informed."
    static let cannedResponses: [(title: String, body: String, category: TicketCategory?)] = [
        ("Greeting", "Hi {{requester.firstName}},\n\nThanks for contacting us about \"{{ticket.subject}}\". We are looking into it.\n\n{{agent.name}}", nil),
        ("Ask for a screenshot", "Could you send us a screenshot of what you see? It helps us find the cause faster.", .technical),
        ("Refund issued", "Hi {{requester.firstName}},\n\nWe have refunded the charge. It can take 3-5 business days to appear on your statement.", .billing),
        ("Which reset link to use", "Please use the most recent reset email: older links stop working once a new one is sent.", .account),
        ("Closing: solved", "Glad we could help! We are closing {{ticket.reference}}; just reply if anything comes up again.", nil),
    ]
}
