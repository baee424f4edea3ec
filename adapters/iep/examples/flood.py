"""The shell stays responsive under endless output: run the Flood cell, type, then Ctrl+C."""

## Setup
import itertools
import math

radius = 2.0

## Flood (prints forever: press Ctrl+C in the shell)
for i in itertools.count():
    print(i, math.sqrt(i))
