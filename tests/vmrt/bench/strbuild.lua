local s, i = "x", 0
while i < 20000 do s = s .. "ab"; i = i + 1 end
print(#s)
