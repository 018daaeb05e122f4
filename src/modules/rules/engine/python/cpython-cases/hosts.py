"""Host objects of the rules engine as the Python side of the comparison sees them.

`Query` is a datanommer query (fedbadges 1.x criteria): `.all()` gives rows with a
`.msg` attribute, `.count()` their number. `Message` is a fedbadges 2.x message object
with attributes. The Jest side builds the same objects with PyHostObject.
"""


class Row:
    def __init__(self, msg, topic):
        self.msg = msg
        self.topic = topic


class Query:
    def __init__(self, bodies, topic="org.fedoraproject.prod.example"):
        self.bodies = bodies
        self.topic = topic

    def all(self):
        return [Row(body, self.topic) for body in self.bodies]

    def count(self):
        return len(self.bodies)


class Message:
    def __init__(self, topic, body, agent_name=None, usernames=(), packages=()):
        self.topic = topic
        self.body = body
        self.agent_name = agent_name
        self.usernames = list(usernames)
        self.packages = list(packages)
