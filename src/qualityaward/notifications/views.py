from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from .models import Notification
from .services import notification_mark_read


@require_GET
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user)[:200]
    return render(request, "notifications/list.html", {"notifications": notifications})


@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification)
    return redirect(notification.url or "notifications:list")
