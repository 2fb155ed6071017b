"""A refusal told through Django's messages reaches the page the user is sent back to."""

from django.urls import reverse

from kaifaqu.mujun.models import Scheme


def test_a_refused_write_shows_its_message_on_the_next_page(zone_client):
    # when a zone's 管委会 tries to copy a scheme preset, which only a division's office may do
    response = zone_client.post(
        reverse("mujun:scheme_list"), {"preset": "huangyan_2022"}, follow=True
    )
    # then it is back on the scheme list, told why, and nothing was created
    assert response.redirect_chain == [(reverse("mujun:scheme_list"), 302)]
    assert '<div class="error">只有区划机关的用户可以建立评价方案</div>' in response.text
    assert not Scheme.objects.exists()
    # and the message is shown once, not again on the following page
    again = zone_client.get(reverse("mujun:scheme_list"))
    assert "只有区划机关的用户" not in again.text
