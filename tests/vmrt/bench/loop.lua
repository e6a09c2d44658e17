local n, i = 0, 0
while i < 50000000 do n = n + i; i = i + 1 end
print(n)
