"""The instructor's room: pages behind the deployment's passcode, over the class storage.

Nothing here holds law (that is ``engine``) or data (that is ``storage``); these modules
lay out what an instructor needs to run a class.
"""
