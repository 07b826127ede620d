import json
data = json.loads("{name: 1}")
