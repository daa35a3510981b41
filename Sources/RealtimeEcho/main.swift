import Realtime
print("realtime-echo")
