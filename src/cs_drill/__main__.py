from cs_drill.cli import main

main()
