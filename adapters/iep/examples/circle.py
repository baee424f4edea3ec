"""Put the cursor in a cell and press Ctrl+Return to run it."""

## Setup
import math

radius = 2.0
print("\x1b[1;32mradius\x1b[0m =", radius)

## Area
area = math.pi * radius**2
print(f"area = {area:.3f}")
area

## Plot (shown inline)
import matplotlib.pyplot as plt

angles = [i * math.pi / 50 for i in range(101)]
fig, ax = plt.subplots(figsize=(3.2, 2.2), dpi=80)
ax.plot([radius * math.cos(a) for a in angles], [radius * math.sin(a) for a in angles])
ax.set_aspect("equal")
_ = ax.set_title("r = 2")


## Ratio (fails: try Ctrl+Shift+D)
def ratio(a, b):
    scale = a / b
    return scale


ratio(area, radius - 2.0)

# ruff: noqa: B018, E402
