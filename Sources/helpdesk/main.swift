import Web
print("helpdesk")
