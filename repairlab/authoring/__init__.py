"""What course authors use: rebuilding ``exercises/`` from ``solutions/`` (``release``), the trainee
edition (``edition``, checked against the ``key``), the item audit (``audit``) and markers'
calibration sets (``calibrate``)."""
