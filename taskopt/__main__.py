from taskopt.cli import main

main()
