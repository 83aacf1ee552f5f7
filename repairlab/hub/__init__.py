"""A cohort on one machine's JupyterHub: ``repairlab hub init`` makes the accounts, the exchange, the
supervisor's private course and the hub's environment; ``start`` and ``stop`` run the hub.

- ``accounts``: Unix accounts with private homes.
- ``deployment``: the deployment file (``PREFIX/hub.json``) every command shares.
- ``deploy``: what ``init`` does; ``remove``: what ``remove`` does.
- ``config``: the JupyterHub configuration, read from the deployment file by the hub itself.
- ``service``: starting and stopping the hub in the background.

The supervisor's release, feedback and collect through nbgrader's exchange are supervisor commands
(``repairlab.supervisor.exchange``).
"""
