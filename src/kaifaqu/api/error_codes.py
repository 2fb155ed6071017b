"""The machine-readable codes of the API's error format, with the message a caller sees.

Field errors keep the code of the validator that raised them (``required``, ``invalid_choice``,
``invalid_uscc``, ``unique``, ``does_not_exist`` …); these are the codes of the error as a whole.
A token that no longer speaks for its account is refused with its own code (``access.tokens``):
``token_expired``, ``account_locked``, ``password_change_required``.
"""

INVALID = "invalid"  # 400: the request's data failed validation; ``fields`` says where
PARSE_ERROR = "parse_error"  # 400: the body is not valid JSON
INVALID_CURSOR = "invalid_cursor"  # 400: a ``cursor`` this API did not issue
NOT_AUTHENTICATED = "not_authenticated"  # 401: no credentials
AUTHENTICATION_FAILED = "authentication_failed"  # 401: a wrong or revoked token, inactive account
PERMISSION_DENIED = "permission_denied"  # 403: the role may not write, or the write left the scope
NOT_FOUND = "not_found"  # 404: no such object, or outside the caller's scope (never told apart)
METHOD_NOT_ALLOWED = "method_not_allowed"  # 405
NOT_ACCEPTABLE = "not_acceptable"  # 406
TOO_LARGE = "too_large"  # 413: an upload over KAIFAQU_UPLOAD_MAX_MB, stopped before it was stored
PROTECTED = "protected"  # 409: other records still refer to the object
CONFLICT = "conflict"  # 409: the database refused the write (a concurrent duplicate)
UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"  # 415
THROTTLED = "throttled"  # 429: over the rate limit; Retry-After says when to come back
SERVER_ERROR = "server_error"  # 500

MESSAGES = {
    INVALID: "提交的数据未通过校验",
    NOT_FOUND: "对象不存在",
    PROTECTED: "该对象仍有其他数据引用,不能删除",
    CONFLICT: "数据库拒绝了本次写入(可能与并发写入冲突),请重试",
    SERVER_ERROR: "服务器内部错误,请稍后重试或联系管理员",
}
