"""What course authors use: rebuilding ``exercises/`` from ``solutions/`` (``release``), the trainee
edition (``edition``, checked against the ``key``) and the item audit (``audit``)."""
