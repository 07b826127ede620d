import unittest

from broken_bob import response


class BobTest(unittest.TestCase):
    def test_shouting(self):
        self.assertEqual(response("WATCH OUT!"), "Whoa, chill out!")
