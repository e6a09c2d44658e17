# tests/ rules, included by the top-level Makefile (see its header for the variables
# a component adds to).
