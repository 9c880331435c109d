from ccgraph.config import Settings
from ccgraph.web import create_app

app = create_app(Settings.from_env())  # the process entry: settings read here, handed down
