import pickle


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __eq__(self, other):
        return (self.x, self.y) == (other.x, other.y)


def faasm_main():
    original = {"numbers": [1, 2.5, 3 + 4j], "text": "é€", "nested": (Point(1, 2), {b"k": None})}
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        restored = pickle.loads(pickle.dumps(original, protocol=protocol))
        assert restored == original, protocol
    print("Pickle round trip OK")
