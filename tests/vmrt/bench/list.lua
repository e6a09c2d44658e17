local l, i, n = {}, 0, 0
while i < 1000000 do l[#l + 1] = i; i = i + 1 end
i = 0
while i < 1000000 do n = n + l[i + 1]; i = i + 1 end
print(n)
