import ArgumentParser
import MailFlowKit

MailFlowCommand.main()
