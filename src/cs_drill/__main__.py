from cs_drill._entry import main

main()
