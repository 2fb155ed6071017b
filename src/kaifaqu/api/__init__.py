"""The REST API ``/api/v1/`` for system-to-system exchange (互联互通).

The shared framework lives here (settings, errors, paging, throttles, base viewsets and
serializers); each domain app declares its endpoints in its own ``api`` package, NetBox's pattern.
Every read goes through ``restrict()``; a registry write is ``audited_save`` /
``audited_delete``, any other write a call of its app's actions (``mujun.actions``).
"""
