# tools/ rules, included by the top-level Makefile (see its header for the variables
# a component adds to).

# make run: boot the guest, load the module, run the demo (tools/demo.sh),
# unload it. tools/vm/run fails on a failed load/unload or kernel error lines.
.PHONY: run
run: $(RMACH_KO) $(LIBMACH_EXAMPLE_BINS)
	@echo "Booting the guest (QEMU, TCG) with $(RMACH_KO) ..."
	@tools/vm/run --module $(RMACH_KO) --timeout 300 -- tools/demo.sh $(RMACH_KO)
	@echo "rmach.ko unloaded; kernel log clean."
