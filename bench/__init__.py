"""The benchmark (`make bench`) and the export generator the tests share."""
