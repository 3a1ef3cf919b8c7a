// Package e2e holds ExoSep's end-to-end tests: the built site (dist/) opened
// in headless Chromium over http AND from file://, as users open it.
//
// The tests need a built site: run them through `make test` (which builds
// dist/ and installs Chromium when missing), or set EXOSEP_DIST to a built
// site directory. Missing prerequisites fail the tests with a message saying
// what to run; -short skips them.
package e2e
