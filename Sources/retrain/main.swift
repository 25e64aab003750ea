import RetrainCommands

await Retrain.runMain()
