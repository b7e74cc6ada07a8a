from rest_framework import serializers


class MeOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    email = serializers.EmailField()
    roles = serializers.ListField(child=serializers.CharField())
