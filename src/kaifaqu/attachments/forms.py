from django import forms


class AttachmentForm(forms.Form):
    """The upload form the attachments panel shows under an object's page."""

    owner = forms.CharField(widget=forms.HiddenInput)
    object_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    file = forms.FileField(label="文件")
    description = forms.CharField(label="说明", max_length=200, required=False)
