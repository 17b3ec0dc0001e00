from rehearse.cli.app import main

main()
