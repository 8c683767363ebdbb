from noticepub.cli import main

raise SystemExit(main())
