from skillbank.cli import main

main()
