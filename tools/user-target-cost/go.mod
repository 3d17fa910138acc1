module evbench/tools/user-target-cost

go 1.26
