from aqwal.cli import main

raise SystemExit(main())
