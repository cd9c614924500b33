"""Browser tests: the built site driven in Chromium through Playwright."""
