"""The REST API ``/api/v1/`` for system-to-system exchange (互联互通).

The shared framework lives here (settings, errors, paging, throttles, base viewsets and
serializers); each domain app declares its endpoints in its own ``api`` package, NetBox's pattern.
Every read goes through ``restrict()``, every write through ``audited_save`` / ``audited_delete``.
"""
