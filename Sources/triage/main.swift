import TriageApp

await TriageCommand.start()
