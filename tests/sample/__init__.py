"""Tests of the sample organisation in plans/ and content/ (the repository's own handbook).

Everything else under tests/ tests the engine: it runs on fixture plans or takes what it asserts
from the plans it builds, so it passes whatever plans/ holds. The tests here pin the sample
itself: that it is complete and builds strictly, its numbers, the README's example output taken
from it, the repository's CODEOWNERS. With another organisation's plans/ only these may fail.
"""
