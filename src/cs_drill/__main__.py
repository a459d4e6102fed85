from cs_drill.startup import main

main()
