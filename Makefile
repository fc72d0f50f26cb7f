# The device-dax series: entry points.  See README.md.
.PHONY: demo test test-stock quick-test series series-check series-edit series-save kernel stock-kernel bench-kernel mutants deps

demo:			## build the patched kernel and run the daxctl demo in a VM
	scripts/demo
test:			## run every test; ends with "N passed, N failed, N skipped"
	scripts/test
test-stock:		## the same selftests on stock 6.12 built from the same base
	scripts/test --flavour stock
quick-test:		## every test but the mutants
	scripts/test --no-mutants
mutants:		## only the mutants
	scripts/mutants
series:			## export the series, with a cover letter, as git format-patch files in out/series
	scripts/series export
series-check:		## build and check every patch of the series in turn
	scripts/series-check
series-edit:		## a git work tree of the series to change it (see README)
	scripts/series edit
series-save:		## write the edited commits back into patches/
	scripts/series save
kernel:			## build our test kernel
	scripts/build --flavour ours --config test
stock-kernel:		## build stock 6.12's test kernel
	scripts/build --flavour stock --config test
bench-kernel:		## build our kernel without debug options
	scripts/build --flavour ours --config bench
deps:			## install the Debian packages the project needs
	scripts/deps
