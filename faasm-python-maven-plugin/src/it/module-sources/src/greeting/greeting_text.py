TEXT = "Hello"
