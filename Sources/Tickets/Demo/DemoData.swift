/// The word lists the demo seeder draws from.
enum DemoData {
    struct Topic {
        let subject: String
        let description: String
        let category: TicketCategory
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
    static let topics: [Topic] = [
        Topic(subject: "Cannot log in after password reset", description: "I reset my password but the login page says it is invalid.", category: .account),
        Topic(subject: "Invoice shows the wrong VAT number", description: "Our March invoice lists an old VAT number. Please correct it.", category: .billing),
        Topic(subject: "Charged twice this month", description: "My card was charged twice for the same subscription.", category: .billing),
        Topic(subject: "API returns 500 on export", description: "GET /exports fails with a 500 error since yesterday.", category: .bugReport),
        Topic(subject: "Dashboard loads very slowly", description: "The dashboard takes over 30 seconds to load for our team.", category: .technical),
        Topic(subject: "Please add dark mode", description: "Our agents work night shifts and would love a dark theme.", category: .featureRequest),
        Topic(subject: "How do I add a new user?", description: "Where in the settings can I invite a colleague?", category: .general),
        Topic(subject: "SSO login loops back to the start", description: "After signing in with SSO we are sent back to the login page.", category: .technical),
        Topic(subject: "Export to CSV misses columns", description: "The exported file has no due date column.", category: .bugReport),
        Topic(subject: "Change the account owner", description: "Our previous admin left; please transfer ownership.", category: .account),
        Topic(subject: "Request for a quote", description: "We want 40 more seats. Can you send a quote?", category: .other),
        Topic(subject: "Mobile app crashes on start", description: "The Android app closes right after the splash screen.", category: .bugReport),
    ]
    static let replies = [
        "Thanks for reaching out. We are looking into this now.",
        "Could you send a screenshot of the error you see?",
        "I have tried again and it still does not work.",
        "This should be fixed now. Can you confirm on your side?",
        "Thanks, that solved it!",
    ]
    static let notes = [
        "Checked the logs: the error started after Tuesday's deploy.",
        "Escalating to engineering, customer is on the enterprise plan.",
    ]
}
