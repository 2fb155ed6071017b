"""The daily digest: each user with unread notifications gets one e-mail summing them up, when
an SMTP server is configured (``KAIFAQU_SMTP_HOST``); without one nothing is sent anywhere."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db.models import Count, Q
from django.utils import timezone

from kaifaqu.jobs.models import Job
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import job_kind
from kaifaqu.notifications.daily import send_daily_notices
from kaifaqu.notifications.deadlines import notify_approaching_deadlines
from kaifaqu.notifications.models import Notification


def digest_text(user: User, unread: list[Notification], total: int) -> str:
    """The e-mail's body: the newest unread notifications, each with its link."""
    site = settings.KAIFAQU_SITE_URL.rstrip("/")
    lines = [f"{user.get_full_name() or user.get_username()}:您有 {total} 条未读通知。", ""]
    for notification in unread:
        lines.append(f"【{notification.get_kind_display()}】{notification.title}")
        if notification.url:
            lines.append(f"  {site}{notification.url}")
    if total > len(unread):
        lines.append(f"……另有 {total - len(unread)} 条,请登录平台查看。")
    lines += ["", f"收件箱:{site}/notifications/?state=unread"]
    return "\n".join(lines)


@job_kind("notification_digest", "通知每日摘要", schedulable=True)
def send_digest(job: Job, progress: Progress) -> dict[str, Any]:
    """The day's 即将到期 notices and the other apps' daily notices (``daily.py``), then one
    summary e-mail per user with unread notifications and an e-mail address."""
    due = notify_approaching_deadlines()
    notices = send_daily_notices(timezone.localdate())
    users = list(
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .annotate(unread=Count("notifications", filter=Q(notifications__read_at__isnull=True)))
        .filter(unread__gt=0)
        .order_by("pk")
    )
    if not settings.KAIFAQU_SMTP_HOST:
        return {
            "due": due,
            **notices,
            "users": len(users),
            "sent": 0,
            "note": "未配置邮件服务器,未发送",
        }
    progress.start(len(users), "正在发送通知摘要")
    limit = settings.KAIFAQU_DIGEST_ITEMS
    with get_connection() as connection:
        for user in users:
            unread = list(Notification.objects.restrict(user).unread()[:limit])
            EmailMessage(
                subject=f"开发区智慧管理平台:{user.unread} 条未读通知",
                body=digest_text(user, unread, user.unread),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
                connection=connection,
            ).send()
            progress.advance(message=user.get_username())
    return {"due": due, **notices, "users": len(users), "sent": len(users)}
