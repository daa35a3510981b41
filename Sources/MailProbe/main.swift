print("mail-probe")
