# tools/ rules, included by the top-level Makefile (see its header for the variables
# a component adds to).

# make run: boot the guest, load the module, run the demo (tools/demo.sh),
# unload it. tools/vm/run fails on a failed load/unload or kernel error lines.
# deps first, in its own make: on a fresh machine the kernel version (KVER)
# is only known once linux-headers-amd64 is installed.
.PHONY: run run-demo
run: deps
	@$(MAKE) --no-print-directory run-demo

run-demo: $(RMACH_KO) $(LIBMACH_EXAMPLE_BINS)
	@echo "Booting the guest (QEMU, TCG) with $(RMACH_KO) ..."
	@tools/vm/run --module $(RMACH_KO) --timeout 300 -- tools/demo.sh $(RMACH_KO)
	@echo "rmach.ko unloaded; kernel log clean."
