"""A cohort on one machine's JupyterHub: ``repairlab hub init`` makes the accounts, the exchange, the
supervisor's private course and the hub's environment; ``start`` and ``stop`` run the hub.

- ``accounts``: Unix accounts with private homes.
- ``deploy``: what ``init`` and ``remove`` do, and the deployment file (``hub.json``) they share.
- ``config``: the JupyterHub configuration, read from ``hub.json`` by the hub itself.
- ``service``: starting and stopping the hub in the background.
- ``exchange``: the supervisor's release and feedback through nbgrader's exchange (collecting is
  ``repairlab.collect.collect_from_exchange``).
"""
