local a, b, j = 0, 1, 0
while j < 200000 do
  a, b = 0, 1
  local i = 0
  while i < 90 do local t = a + b; a = b; b = t; i = i + 1 end
  j = j + 1
end
print(a)
