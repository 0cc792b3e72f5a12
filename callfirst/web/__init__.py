"""The local web page, `callfirst web`: the library the command line uses, for people who never open a
terminal. Flask serves it on 127.0.0.1 only; every page calls `callfirst.api` and renders what comes back."""
