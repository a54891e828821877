from django.shortcuts import get_object_or_404, render

from .models import Fellowship


def fellowship_list(request):
    return render(request, "groups/fellowship_list.html", {"fellowships": Fellowship.objects.all()})


def fellowship_detail(request, slug: str):
    fellowship = get_object_or_404(Fellowship, slug=slug)
    return render(request, "groups/fellowship_detail.html", {"fellowship": fellowship})
