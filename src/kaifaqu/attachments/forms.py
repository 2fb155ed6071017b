from django import forms


class OwnerForm(forms.Form):
    """Which object a file is for (read even when the file itself is refused)."""

    owner = forms.CharField(widget=forms.HiddenInput)
    object_id = forms.CharField(widget=forms.HiddenInput, max_length=64)


class AttachmentForm(OwnerForm):
    """The upload form the attachments panel shows under an object's page."""

    file = forms.FileField(label="文件")
    description = forms.CharField(label="说明", max_length=200, required=False)
