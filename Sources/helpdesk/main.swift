// helpdesk: the one binary a support team runs. See `helpdesk --help`.
import Foundation
import Web

let status = CommandLineInterface.run(Array(CommandLine.arguments.dropFirst()))
exit(status)
