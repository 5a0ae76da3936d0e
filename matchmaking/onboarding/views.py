"""The staff upload page for organisation imports and its progress page. Staff only: an
import creates organisations for a whole network, which no member may do."""

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from matchmaking.models import OrganisationImport
from matchmaking.onboarding.services import ImportInvalid, organisations_import

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or JSON Lines file"),
        help_text=_("One organisation per row; see the column list below."),
    )
    skip_invalid = forms.BooleanField(
        label=_("Import the valid rows and list the invalid ones"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


@staff_member_required
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = organisations_import(
                data=upload.read(),
                filename=upload.name,
                skip_invalid=form.cleaned_data["skip_invalid"],
                started_by=request.user,
            )
        except ImportInvalid as invalid:
            errors = invalid.errors
        else:
            return redirect("onboarding:import_detail", pk=record.pk)
    context = {
        "form": form,
        "errors": errors,
        "imports": OrganisationImport.objects.all()[:10],
    }
    return render(request, "matchmaking/import_upload.html", context, status=400 if errors else 200)


@staff_member_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(OrganisationImport, pk=pk)
    return render(request, "matchmaking/import_detail.html", {"record": record})
